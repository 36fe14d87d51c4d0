import { describe, expect, it } from 'vitest';
import { PendingSend, pendingNotice } from '../../src/chat/pending-send';

/** A composer and chat as the module sees them: a model that becomes ready, a chat that may be busy. */
function setup(options: { ready?: boolean; busy?: boolean; sendResult?: boolean | Error } = {}) {
  const world = {
    ready: options.ready ?? false,
    busy: options.busy ?? false,
    sendResult: options.sendResult ?? true,
    sent: [] as string[],
    restored: [] as string[],
    shown: null as string | null,
  };
  const pending = new PendingSend({
    modelReady: () => world.ready,
    chatBusy: () => world.busy,
    send: async (text) => {
      world.sent.push(text);
      if (world.sendResult instanceof Error) throw world.sendResult;
      return world.sendResult;
    },
    restore: (text) => world.restored.push(text),
    changed: (text) => (world.shown = text),
  });
  return { world, pending };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('a message typed before the model is ready', () => {
  it('is held and shown, not sent, while the model loads', async () => {
    const { world, pending } = setup();
    expect(pending.submit('Hello there')).toBe(true);
    pending.update();
    await settle();
    expect(world.sent).toEqual([]);
    expect(world.shown).toBe('Hello there');
    expect(pending.text).toBe('Hello there');
  });

  it('is sent exactly once when the model becomes ready, however often the state changes', async () => {
    const { world, pending } = setup();
    pending.submit('Hello there');
    world.ready = true;
    pending.update();
    pending.update();
    await settle();
    pending.update();
    expect(world.sent).toEqual(['Hello there']);
    expect(world.shown).toBeNull();
    expect(world.restored).toEqual([]);
  });

  it('is not sent while the chat is busy, and goes once it is free', async () => {
    const { world, pending } = setup();
    pending.submit('Wait for the reply');
    world.ready = true;
    world.busy = true;
    pending.update();
    await settle();
    expect(world.sent).toEqual([]);
    expect(world.shown).toBe('Wait for the reply');
    world.busy = false;
    pending.update();
    await settle();
    expect(world.sent).toEqual(['Wait for the reply']);
  });

  it('is never sent once cancelled, and cancelling gives its text back', async () => {
    const { world, pending } = setup();
    pending.submit('Never mind');
    expect(pending.cancel()).toBe('Never mind');
    expect(world.shown).toBeNull();
    world.ready = true;
    pending.update();
    await settle();
    expect(world.sent).toEqual([]);
    expect(pending.cancel()).toBeNull();
  });

  it('stays held when the model fails to load or runs in another tab', async () => {
    const { world, pending } = setup();
    pending.submit('Still here?');
    // The model store goes to 'error' (or 'elsewhere'): not ready, so nothing moves.
    pending.update();
    await settle();
    expect(world.sent).toEqual([]);
    expect(pending.text).toBe('Still here?');
    // Another model is chosen and loads: it is sent then.
    world.ready = true;
    pending.update();
    await settle();
    expect(world.sent).toEqual(['Still here?']);
  });

  it('goes back to the composer when the send is not accepted (it could not be saved)', async () => {
    const { world, pending } = setup({ sendResult: false });
    pending.submit('Disk is full');
    world.ready = true;
    pending.update();
    await settle();
    expect(world.sent).toEqual(['Disk is full']);
    expect(world.restored).toEqual(['Disk is full']);
    expect(pending.text).toBeNull();
  });

  it('goes back to the composer when the send throws', async () => {
    const { world, pending } = setup({ sendResult: new Error('boom') });
    pending.submit('Oops');
    world.ready = true;
    pending.update();
    await settle();
    expect(world.restored).toEqual(['Oops']);
  });

  it('a second Enter while one is held adds to it: one message goes out, nothing is dropped', async () => {
    const { world, pending } = setup();
    pending.submit('First thought');
    expect(pending.submit('and a second one')).toBe(true);
    expect(world.shown).toBe('First thought\n\nand a second one');
    world.ready = true;
    pending.update();
    await settle();
    expect(world.sent).toEqual(['First thought\n\nand a second one']);
  });

  it('a blank message is not taken', () => {
    const { world, pending } = setup();
    expect(pending.submit('   \n')).toBe(false);
    expect(world.shown).toBeNull();
  });
});

describe('Enter once the model is ready', () => {
  it('sends at once, as before', async () => {
    const { world, pending } = setup({ ready: true });
    expect(pending.submit('Hi')).toBe(true);
    await settle();
    expect(world.sent).toEqual(['Hi']);
    expect(world.shown).toBeNull();
  });

  it('is refused while a reply is being written: the draft stays in the composer', async () => {
    const { world, pending } = setup({ ready: true, busy: true });
    expect(pending.submit('Too soon')).toBe(false);
    await settle();
    expect(world.sent).toEqual([]);
    expect(world.shown).toBeNull();
  });

  it('a failed send gives the text back', async () => {
    const { world, pending } = setup({ ready: true, sendResult: false });
    pending.submit('Not saved');
    await settle();
    expect(world.restored).toEqual(['Not saved']);
  });
});

describe('the notice under a held message', () => {
  it('promises to send it, and says why it still waits when the model failed or is elsewhere', () => {
    expect(pendingNotice('loading')).toEqual({ note: 'Will send when the model is ready', problem: null });
    expect(pendingNotice('idle').problem).toBeNull();
    expect(pendingNotice('error')).toEqual({
      note: 'Will send when the model is ready',
      problem: 'The model did not load, so this waits here. Load it again, or choose another model under Models.',
    });
    expect(pendingNotice('elsewhere').problem).toMatch(/in use in another tab.*Use it here/);
  });
});
