/** Phone matching as Kommo describes it: digits only, compared on the last N digits. */
export function digitsOf(value: string): string {
  return value.replace(/\D+/g, '');
}

/** True when both numbers have at least `n` digits and their last `n` digits are equal. */
export function sameLastDigits(a: string, b: string, n: number): boolean {
  const left = digitsOf(a);
  const right = digitsOf(b);
  if (left.length < n || right.length < n) return false;
  return left.slice(-n) === right.slice(-n);
}
