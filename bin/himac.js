#!/usr/bin/env node
// The `himac` command: registers tsx so the TypeScript engine runs directly, then hands over to the CLI.
import { register } from 'tsx/esm/api'

register()
await import('../cli/main.ts')
