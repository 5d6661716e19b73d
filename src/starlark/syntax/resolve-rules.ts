/**
 * Static checks on call arguments and parameter lists (spec "Calls",
 * "Function definitions"), with starlark-go's messages.
 */
import type { Arg, FunctionInfo, Ident, Param } from "./ast.ts";

/** Reports an error at a node. */
export type Report = (at: { line: number; col: number }, msg: string) => void;

/** Checks the order and uniqueness of call arguments. */
export function checkCallArgs(args: Arg[], report: Report): void {
  let seenStar = false, seenStarStar = false;
  const seenNames = new Set<string>();
  for (const a of args) {
    if (a.type === "starstar") {
      if (seenStarStar) report(a, "multiple **kwargs not allowed");
      seenStarStar = true;
    } else if (a.type === "star") {
      if (seenStarStar) report(a, "*args may not follow **kwargs");
      else if (seenStar) report(a, "multiple *args not allowed");
      seenStar = true;
    } else if (a.type === "named") {
      if (seenStarStar) report(a, "keyword argument may not follow **kwargs");
      else if (seenStar) report(a, "keyword argument may not follow *args");
      if (seenNames.has(a.name!)) report(a, `keyword argument "${a.name}" is repeated`);
      seenNames.add(a.name!);
    } else {
      if (seenStar) report(a, "positional argument may not follow *args");
      else if (seenStarStar) report(a, "positional argument may not follow **kwargs");
      else if (seenNames.size > 0) report(a, "positional argument may not follow named");
    }
  }
}

/** Binds parameters: ordinary ones in order, then *args, then **kwargs (so slots are contiguous). */
export function bindParams(fn: FunctionInfo, params: Param[], bind: (id: Ident) => boolean, report: Report): void {
  let seenOptional = false;
  let star: Param | null = null;
  let starStar: Param | null = null;
  for (const p of params) {
    if (p.type === "required" || p.type === "optional") {
      if (starStar !== null) {
        const kind = p.type === "required" ? "required" : "optional";
        report(p, `${kind} parameter may not follow **${starStar.name!.name}`);
      } else if (star !== null) {
        fn.numKwonly++;
      } else if (p.type === "required" && seenOptional) {
        report(p, "required parameter may not follow optional");
      }
      if (p.type === "optional") seenOptional = true;
      if (bind(p.name!)) report(p, `duplicate parameter: ${p.name!.name}`);
    } else if (p.type === "star") {
      if (starStar !== null) report(p, `* parameter may not follow **${starStar.name!.name}`);
      else if (star !== null) report(p, "multiple * parameters not allowed");
      else star = p;
    } else {
      if (starStar !== null) report(p, "multiple ** parameters not allowed");
      starStar = p;
    }
  }
  if (star !== null) {
    if (star.name !== null) {
      if (bind(star.name)) report(star.name, `duplicate parameter: ${star.name.name}`);
      fn.hasVarargs = true;
    } else if (fn.numKwonly === 0) {
      report(star, "bare * must be followed by keyword-only parameters");
    }
  }
  if (starStar !== null) {
    if (bind(starStar.name!)) report(starStar.name!, `duplicate parameter: ${starStar.name!.name}`);
    fn.hasKwargs = true;
  }
}

/** starlark-go names nodes by their Go type in "can't assign to" errors. */
export const NODE_NAMES: Record<string, string> = {
  Literal: "literal", Call: "callexpr", Binary: "binaryexpr", Unary: "unaryexpr", Cond: "condexpr",
  Slice: "sliceexpr", Lambda: "lambdaexpr", Comprehension: "comprehension", Dict: "dictexpr",
};
