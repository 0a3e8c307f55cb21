// Prints the demonstrator-vs-oracle table (not a test): node --import tsx test/unit/demonstrators/report.ts [episodes]
import {
  demonstratorReport,
  formatDemonstratorReport
} from '../../../core/agent/demonstrators/report'

const episodes = Number(process.argv[2] ?? 200)
console.log(formatDemonstratorReport(demonstratorReport({ episodes })))
