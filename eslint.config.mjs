import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['dist/**', 'node_modules/**', 'src/web/**', '.devhost/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: {
            eqeqeq: 'error',
            'no-console': 'error',
            '@typescript-eslint/no-floating-promises': 'error',
            '@typescript-eslint/return-await': ['error', 'in-try-catch'],
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            '@typescript-eslint/require-await': 'off',
        },
    },
    {
        // Orchestrators are replayed: nothing here may do I/O or read the clock, randomness or the environment.
        files: ['src/orchestrators/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', {
                patterns: [
                    { group: ['@azure/*', 'jose', 'node:*', 'zod'], message: 'orchestrators must stay deterministic: no I/O libraries' },
                    { group: ['../shared/clients/*', '../shared/deps', '../shared/config', '../functions/*'], message: 'orchestrators reach clients only through activities' },
                ],
            }],
            'no-restricted-syntax': ['error',
                { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'use context.df.currentUtcDateTime' },
                { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'use context.df.currentUtcDateTime' },
                { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'use context.df.newGuid or a deterministic seed' },
                { selector: "CallExpression[callee.name=/^set(Timeout|Interval|Immediate)$/]", message: 'use context.df.createTimer' },
                { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'configuration reaches orchestrators through activities' },
            ],
        },
    },
    {
        files: ['devhost/**/*.ts', 'test/**/*.ts', 'scripts/**'],
        rules: { 'no-console': 'off' },
    },
);
