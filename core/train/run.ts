// One entry point for every kind of run an experiment config describes.
import { policyKind, type ExperimentConfig } from '../api/config'
import { runBaseline } from './baselines'
import { trainFlatGrpo, type TrainOptions } from './grpo'
import { trainHimac } from './himac/train'
import { trainLm } from './lm/train'
import type { TrainingOutcome, TrainingSink } from './sink'

export function runExperiment(
  config: ExperimentConfig,
  sink: TrainingSink,
  options: TrainOptions = {}
): Promise<TrainingOutcome> {
  switch (config.algo) {
    case 'grpo':
    case 'gigpo':
    case 'rloo':
      return policyKind(config) === 'lm'
        ? trainLm(config, sink, options)
        : trainFlatGrpo(config, sink, options)
    case 'himac':
      return trainHimac(config, sink, options)
    case 'expert':
    case 'searcher':
    case 'random':
      return runBaseline(config, sink, options.signal ? { signal: options.signal } : {})
  }
}
