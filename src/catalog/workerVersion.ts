// The `:version` route parameter, `[epoch:]pkgver-pkgrel`: a strict subset of
// what makepkg accepts (its pkgver may hold any printable character but
// ':', '/', '-' and spaces), so a value is checked before any lookup.

export const WORKER_VERSION_PATTERN = /^(?:[0-9]{1,9}:)?[A-Za-z0-9._+~]{1,80}-[0-9]{1,9}(?:\.[0-9]{1,9})?$/;
export const WORKER_VERSION_MAX_LENGTH = 100;
