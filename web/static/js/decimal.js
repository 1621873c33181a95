// Exact money arithmetic on decimal strings ("250.10" + "0.20" = "250.30"): whole cents in
// BigInt, never JS floats (0.1 + 0.2 is not 0.3). Amounts arrive from the API as strings.

const AMOUNT = /^([+-]?)(\d*)(?:[.,](\d*))?$/;

/** "250.10" -> 25010n; "1,5" -> 150n (a comma is a decimal point, as in the forms); null when the
 * text is not an amount or has a non-zero digit past the cents ("1.234"). */
export function toCents(text) {
  const m = AMOUNT.exec(String(text ?? "").trim());
  if (!m || (!m[2] && !m[3])) return null;
  const [, sign, whole, frac = ""] = m;
  if (/[1-9]/.test(frac.slice(2))) return null;
  const cents = BigInt(whole || "0") * 100n + BigInt(frac.slice(0, 2).padEnd(2, "0"));
  return sign === "-" ? -cents : cents;
}

/** 25030n -> "250.30" (what the API reads back exactly). */
export function fromCents(cents) {
  const value = BigInt(cents);
  const abs = value < 0n ? -value : value;
  const text = `${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
  return value < 0n ? `-${text}` : text;
}

/** a + b for two decimal strings, exactly; throws a RangeError when either is not an amount. */
export function addDecimal(a, b) {
  const x = toCents(a);
  const y = toCents(b);
  if (x === null || y === null) throw new RangeError(`not an amount: ${x === null ? a : b}`);
  return fromCents(x + y);
}
