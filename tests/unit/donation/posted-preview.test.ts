import { describe, expect, it, vi } from 'vitest';
import type { DonationPreview } from '../../../src/donation/donation-store-api';
import { packPreview, unpackPreview, withRisks } from '../../../src/donation/posted-preview';
import { segmentPreview } from '../../../src/donation/preview';

function preview(): DonationPreview {
  const bundle = { conversations: [{ id: 'c1', messages: [{ id: 'm1', role: 'user', text: 'Mail [EMAIL_1] or call [PHONE_1]' }] }] };
  const json = JSON.stringify(bundle, null, 2);
  return {
    bundle: bundle as unknown as DonationPreview['bundle'],
    summary: { conversationCount: 1, messageCount: 1, includesFeedback: false, deidentification: { method: 'm', methodVersion: '1', counts: { EMAIL: 1, PHONE: 1 } } },
    json,
    segments: segmentPreview(json),
    items: [{ conversation: 'c1', label: '1 message' }],
    risks: [{ text: 'Springfield', reasons: [{ kind: 'after-cue', cue: 'I live in' }], context: 'I live in Springfield' }],
  };
}

describe('a preview posted by the worker', () => {
  it('travels without the bundle objects and with its placeholders as offsets in a transferable buffer', () => {
    const { posted, transfer } = packPreview(preview());
    expect(Object.keys(posted).sort()).toEqual(['items', 'json', 'placeholders', 'risks', 'summary']);
    expect(transfer).toEqual([posted.placeholders.buffer]);
    expect([...posted.placeholders]).toHaveLength(6);
  });

  it('arrives with the same segments and, when read, the same bundle', () => {
    const sent = preview();
    const { posted, transfer } = packPreview(sent);
    const received = unpackPreview(structuredClone(posted, { transfer }));
    expect(received.segments).toEqual(sent.segments);
    expect(received.bundle).toEqual(sent.bundle);
    expect({ ...received, bundle: null }).toEqual({ ...sent, bundle: null });
  });

  it('parses the bundle only when something reads it, and a copy listing other risks does not read it', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const received = unpackPreview(packPreview(preview()).posted);
    const checked = withRisks(received, []);
    expect(checked.risks).toEqual([]);
    expect(received.risks).toHaveLength(1);
    expect(parse).not.toHaveBeenCalled();
    expect(checked.bundle.conversations).toHaveLength(1);
    expect(parse).toHaveBeenCalledTimes(1);
    parse.mockRestore();
  });
});
