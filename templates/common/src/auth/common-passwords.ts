/**
 * Passwords of 8 characters or more that top every leaked-password list.
 * Compared case-insensitively: a guessing attacker tries these first, in
 * every capitalisation. Extend it with your own list if you need more.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '12345678', '123456789', '1234567890', '12345678910', '87654321', '11111111', '00000000', '88888888',
  '11223344', '12341234', '12121212', '123123123', '147258369', '987654321', '1q2w3e4r', '1q2w3e4r5t',
  'password', 'password1', 'password12', 'password123', 'password!', 'passw0rd', 'p@ssw0rd', 'p@ssword',
  'qwertyui', 'qwertyuiop', 'qwerty123', 'qwerty12', 'qwerty1234', '1qaz2wsx', 'zaq12wsx', 'asdfghjkl',
  'asdfasdf', 'zxcvbnm1', 'iloveyou', 'iloveyou1', 'sunshine', 'princess', 'football', 'baseball',
  'welcome1', 'welcome123', 'letmein1', 'letmein123', 'trustno1', 'superman', 'starwars', 'whatever',
  'michelle', 'jennifer', 'computer', 'internet', 'mercedes', 'corvette', 'maverick', 'liverpool',
  'chelsea1', 'arsenal1', 'shadow12', 'monkey12', 'dragon12', 'master12', 'admin123', 'administrator',
  'changeme', 'changeme1', 'secret123', 'abc12345', 'abcd1234', 'abcdefgh', 'aa123456', 'a1b2c3d4',
  'test1234', 'testtest', 'useruser', 'default1', 'guest123', 'q1w2e3r4', 'q1w2e3r4t5', 'zxcvbnm123',
  'football1', 'baseball1', 'basketball', 'blink182', 'pokemon1', 'samsung1', 'snoopy12', 'michael1',
  'charlie1', 'jordan23', 'loveyou1', 'lovely12', 'freedom1', 'whatever1', 'hello123', 'helloworld',
  'nicole12', 'daniel12', 'jessica1', 'ashley12', 'ranger12', 'buster12', 'hunter12', 'thomas12',
]);

/** True when `password` is one of the {@link COMMON_PASSWORDS}. */
export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}
