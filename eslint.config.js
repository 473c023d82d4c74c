// ESLint (flat config): typescript-eslint's recommended rules on the
// TypeScript sources; formatting is Prettier's (.prettierrc.json). Run by
// test/project/lint.ts, so `npm test` fails on a lint error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'images/.build/**', 'traces/**', '.tap/**', '.test-build/**', '**/*.generated.ts', 'harness/report/page-assets.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // `_name` marks a binding kept for its place (a destructured field left out, a callback's unused argument).
      // Control characters in a pattern are meant where they appear: text XML cannot hold, a terminal's escapes.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
