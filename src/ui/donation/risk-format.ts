import type { RemainingRisk, RiskReason } from '../../donation/remaining-risks';

function reasonText(reason: RiskReason): string {
  switch (reason.kind) {
    case 'digits':
      return 'a long number';
    case 'after-cue':
      return `after “${reason.cue}”`;
    case 'recurring':
      return `looks like a name, in ${reason.texts} places`;
  }
}

/** Why a string is listed, in words: "A long number", "After “I live in” · looks like a name, in 3 places". */
export function riskReasons(risk: RemainingRisk): string {
  const text = risk.reasons.map(reasonText).join(' · ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The words around a listed string cut at it, so it can stand out: [before, the string, after]. */
export function contextParts(risk: RemainingRisk): [string, string, string] {
  const at = risk.context.indexOf(risk.text);
  if (at < 0) return [risk.context, '', ''];
  return [risk.context.slice(0, at), risk.text, risk.context.slice(at + risk.text.length)];
}
