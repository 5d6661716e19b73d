/** A captured variable shared between a function and the closures it creates. */
import type { Value } from "./rt.ts";

export class Cell {
  v: Value | undefined;
  constructor(v?: Value) {
    this.v = v;
  }
}
