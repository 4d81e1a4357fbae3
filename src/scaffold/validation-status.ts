/**
 * The status an operation answers a request that fails validation, from the statuses its
 * responses declare: 400 when it declares 400; else 422 when it declares 422 (RealWorld's
 * `GenericErrorModel`, Rails- and Laravel-style APIs); else 400, also when only `4XX` or
 * `default` is declared. The spec is the contract: an operation that documents 422 for bad
 * input and no 400 must not answer an undocumented 400.
 */
export function validationStatus(declared: Iterable<string>): 400 | 422 {
  const statuses = new Set(declared);
  if (statuses.has('400')) return 400;
  return statuses.has('422') ? 422 : 400;
}
