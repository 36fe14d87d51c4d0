import { describe, expect, it } from 'vitest';
import { createDeidentifier, findEntities } from '../../../src/donation/deid';
import { looksRandom } from '../../../src/donation/deid/recognizers/secret-shapes';

/** [type, the text of the span] for every merged entity, in order. All keys below are invented or vendor examples. */
const found = (text: string) => findEntities(text).map((entity) => [entity.type, text.slice(entity.start, entity.end)]);
const secrets = (text: string) => found(text).filter(([type]) => type === 'SECRET').map(([, value]) => value);

describe('passwords and PINs after a cue', () => {
  it.each([
    ['my wifi password is Sunflower!22, thanks', 'Sunflower!22'],
    ['pw: hunter2', 'hunter2'],
    ['Password:hunter2', 'hunter2'],
    ['the password for my bank account is sunshine', 'sunshine'],
    ["my password's tr0ub4dor&3", 'tr0ub4dor&3'],
    ['passphrase is "correct horse battery staple"', 'correct horse battery staple'],
    ['the passcode is 839201', '839201'],
    ['password hunter2 (no colon, but it has a digit)', 'hunter2'],
    ['DB_PASSWORD=s3cr3tP4ss', 's3cr3tP4ss'],
    ['user admin pass Router!2024x, what now', 'Router!2024x'],
    ['the wifi pass is BlueMoon_2019 if anyone asks', 'BlueMoon_2019'],
    ['mein Passwort ist Blume2024', 'Blume2024'],
    ['mot de passe du wifi : Chaton_Bleu_77', 'Chaton_Bleu_77'],
    ['mi contraseña es Gato#1990', 'Gato#1990'],
    ['hasło to Kot123!', 'Kot123'],
  ])('finds the password in %j', (text, value) => {
    expect(secrets(text)).toEqual([value]);
  });

  it.each([
    ['my PIN is 4821', '4821'],
    ['pin: 0000', '0000'],
    ['the pin for the garage door is 2580', '2580'],
    ['door code 1937, gate code is 4455', '1937'],
    ['CVV 123', '123'],
  ])('finds the PIN in %j', (text, value) => {
    expect(secrets(text)[0]).toBe(value);
  });

  it('keeps the cue and replaces only the value', () => {
    expect(createDeidentifier().redact('the wifi password is Sunflower!22').redacted).toBe('the wifi password is [SECRET_1]');
  });

  it.each([
    'my password is wrong again',
    'the password is too short, it says',
    'Password: string',
    'I use a password manager',
    'reset your password to continue',
    'the password is in the drawer',
    'connect pin 13 to ground',
    'the secret is patience',
    'max_tokens=4096 and temperature=0.7',
    'my password was changed yesterday',
  ])('finds no secret in %j', (text) => {
    expect(secrets(text)).toEqual([]);
  });
});

describe('keys and tokens', () => {
  it.each([
    ['my API key is sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234 please help', 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234'],
    ['stripe sk_live_51AbCdEfGhIjKlMn0p', 'sk_live_51AbCdEfGhIjKlMn0p'],
    ['token ghp_abcdefghijklmnopqrstuvwxyzABCDEF1234 leaked', 'ghp_abcdefghijklmnopqrstuvwxyzABCDEF1234'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop'],
    ['slack xoxb-123456789012-1234567890123-AbCdEfGhIjKl', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKl'],
    ['aws AKIAIOSFODNN7EXAMPLE in the config', 'AKIAIOSFODNN7EXAMPLE'],
    ['maps key AIzaSyA-1234567890abcdefghijklmnopqrstu', 'AIzaSyA-1234567890abcdefghijklmnopqrstu'],
    ['access key id: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['client_secret = "a1b2c3d4e5f6g7h8"', 'a1b2c3d4e5f6g7h8'],
  ])('finds the key in %j', (text, value) => {
    expect(secrets(text)).toEqual([value]);
  });

  it('finds a JWT after "Bearer"', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(secrets(`Authorization: Bearer ${jwt}`)).toEqual([jwt]);
  });

  it('finds a whole private key block, and not the words after a key without its END line', () => {
    const block = `-----BEGIN OPENSSH PRIVATE KEY-----\n${'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz'}\nc2g=\n-----END OPENSSH PRIVATE KEY-----`;
    expect(secrets(`here it is:\n${block}\nwhy does ssh reject it?`)).toEqual([block]);
    expect(secrets('-----BEGIN RSA PRIVATE KEY----- Thanks for the help')).toEqual(['-----BEGIN RSA PRIVATE KEY-----']);
  });

  it('finds a seed phrase as a whole', () => {
    const phrase = 'apple banana cherry delta echo foxtrot golf hotel india juliet kilo lima';
    expect(secrets(`my seed phrase: ${phrase}`)).toEqual([phrase]);
  });
});

describe('random-looking strings', () => {
  it.each(['9fQ2xLr7Tb0ZkPq8Wm3N', 'Zk3pQ9wX7bT2mN8vR4sY1cL6', '3f786850e387550fdab836ed7e6dc881de23001b'])('takes %s for a secret', (token) => {
    expect(looksRandom(token)).toBe(true);
    expect(secrets(`the value ${token} is it`)).toEqual([token]);
  });

  it.each([
    'getElementById2023ForUserName',
    'IMG_20240115_123456789',
    'my_variable_name_version_2',
    'abcdefghijklmnopqrstuvwxyz',
    '123e4567-e89b-12d3-a456-426614174000',
    'short9fQ2xL',
  ])('does not take %s for a secret', (token) => {
    expect(looksRandom(token)).toBe(false);
  });

  it('leaves paths, words and file names alone', () => {
    expect(secrets('see src/donation/deid/recognizers/phone.ts and Screenshot2024-01-15at10.30.12.png')).toEqual([]);
  });
});
