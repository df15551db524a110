// perObject: a value derived from one object (a record, a served worker, a
// snapshot), computed on first use and kept exactly as long as that object
// lives. Records are reused by every snapshot their branch does not move in,
// so a view of the whole catalog rebuilt after a push derives again only what
// the push changed, and reads no restored record's parsed fields from the
// saved index again (see SavedDetails).

export function perObject<K extends object, T>(derive: (key: K) => T): (key: K) => T {
  const values = new WeakMap<K, T>();
  return (key) => {
    // has(), not get(): undefined is a value too.
    if (values.has(key)) return values.get(key) as T;
    const value = derive(key);
    values.set(key, value);
    return value;
  };
}
