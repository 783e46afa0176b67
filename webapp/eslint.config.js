import js from '@eslint/js'
import skipFormatting from '@vue/eslint-config-prettier/skip-formatting'
import { defineConfigWithVueTs, vueTsConfigs } from '@vue/eslint-config-typescript'
import { globalIgnores } from 'eslint/config'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'

export default defineConfigWithVueTs(
  {
    name: 'app/files-to-lint',
    files: ['**/*.{js,mjs,ts,mts,vue}'],
  },

  globalIgnores(['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/target/**']),

  js.configs.recommended,
  pluginVue.configs['flat/recommended'],
  vueTsConfigs.recommended,

  {
    name: 'app/browser-globals',
    files: ['src/**/*.{ts,vue}'],
    languageOptions: { globals: globals.browser },
  },
  {
    name: 'app/node-globals',
    files: ['*.config.{js,ts}', 'e2e/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },

  // Prettier owns formatting; ESLint only reports what Prettier cannot fix.
  skipFormatting,
)
