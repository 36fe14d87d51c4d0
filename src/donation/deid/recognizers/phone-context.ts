/**
 * Words right before a number that say it is something else: "order 4567891234", "SKU
 * 555-123-4567", "ISBN 0-306-40615-2", "part no. 2125550143", "$2125550143". Only these nouns
 * count, with an optional "no."/"number"/"#"/"ID" and "is"; "my number is" and "call the order
 * desk at" keep the phone. The cue must end where the number starts.
 */
const NOUNS = [
  'order', 'orders', 'invoice', 'receipt', 'transaction', 'tracking', 'shipment', 'parcel', 'sku', 'item', 'article',
  'model', 'part', 'product', 'serial', 'batch', 'ticket', 'confirmation', 'booking', 'reservation', 'ref', 'reference',
  'isbn', 'issn', 'ean', 'upc', 'asin', 'gtin', 'version', 'build', 'error', 'po', 'pnr', 'awb', 'case id', 'job',
];
const NOT_A_PHONE_BEFORE = new RegExp(
  String.raw`(?:(?<![\p{L}])(?:${NOUNS.join('|')})\.?(?:\s*(?:no\.?|nr\.?|number|num\.?|#|id|code))?(?:\s+(?:is|was))?\s*[:#]?\s*#?\s*|[$€£¥₹]\s*|#\s*)$`,
  'iu',
);
/** Amounts and counts after the number: "2125550143 yen", "4155552671 USD", "1234567890 ms". */
const NOT_A_PHONE_AFTER = /^\s*(?:[€$£¥₹%]|(?:eur|euros?|usd|dollars?|gbp|pounds?|yen|rupees?|chf|kr|units|pcs|pieces|items|times|ms|seconds|bytes|kb|mb|gb|users|views|downloads|km|miles)(?![\p{L}]))/iu;

const REACH = 40;

/** Whether the text around `start..end` says the digits there are a price, an order number or a code. */
export function isOtherNumber(text: string, start: number, end: number): boolean {
  return NOT_A_PHONE_BEFORE.test(text.slice(Math.max(0, start - REACH), start)) || NOT_A_PHONE_AFTER.test(text.slice(end, end + REACH));
}
