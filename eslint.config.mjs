// Lint gate of `npm test`: typescript-eslint's type-checked rules over the extension, the webview
// script and the tests; zero warnings allowed (`--max-warnings 0`). Formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-duplicate-imports': 'error',
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always'],
      // Rejections pass on what they caught (an AbortSignal's reason, a fetch error) unchanged.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Test doubles implement async interfaces with values at hand.
      '@typescript-eslint/require-await': 'off',
      // Test messages and URLs interpolate untyped wire JSON on purpose.
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
);
