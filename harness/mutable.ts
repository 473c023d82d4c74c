/** `T` with its `readonly` properties writable: for objects built field by field on a hot path before they are handed on as `T`. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
