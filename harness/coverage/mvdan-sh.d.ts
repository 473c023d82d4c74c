/**
 * The part of mvdan-sh (mvdan/sh's syntax package, compiled to JavaScript
 * with GopherJS) that parse-script.ts reads. The package ships no types; the
 * node shapes follow https://pkg.go.dev/mvdan.cc/sh/v3/syntax. Token values
 * (`Op`) are Go constants, read by parse-script.ts as numbers.
 */
declare module 'mvdan-sh' {
  export interface Pos {
    Line(): number;
    Col(): number;
    Offset(): number;
  }
  /** Every node: a Go struct behind a GopherJS object; fields are read by name. */
  export interface Node {
    Pos(): Pos;
    End(): Pos;
    readonly [field: string]: unknown;
  }
  export interface Parser {
    Parse(src: string, name: string): Node;
  }
  export interface LangVariantOption {
    readonly __variant: unique symbol;
  }
  export const syntax: {
    NewParser(...options: LangVariantOption[]): Parser;
    Variant(lang: number): LangVariantOption;
    NodeType(node: Node): string;
    readonly LangBash: number;
    readonly LangPOSIX: number;
    readonly LangMirBSDKorn: number;
  };
}
