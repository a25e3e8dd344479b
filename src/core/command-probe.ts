// A command of each type with the smallest payload its schema accepts, for asking the state
// machine what an actor could do now (`availableCommands`): the UI offers exactly those, and tests
// build their sample commands on the same payloads.

import type { Command, CommandType } from './workflow-model'

export function probeCommand(type: CommandType, at: string): Command {
  switch (type) {
    case 'submit':
    case 'discard':
    case 'accept':
    case 'forward':
    case 'archive':
    case 'resume':
    case 'claim':
    case 'release':
      return { type, at }
    case 'withdraw':
      return { type, at, reason: '-' }
    case 'return':
      return { type, at, corrections: [{ label: '-', reason: '-' }] }
    case 'refuse':
      return { type, at, reason: '-', appeal: '-' }
    case 'complete':
      return { type, at, decision: 'approved' }
    case 'deliver':
      return { type, at, method: 'agent' }
    case 'rate':
      return { type, at, rating: 5 }
    case 'suspend':
      return { type, at, procedure: 'hearing' }
    case 'answerFollowUp':
      return { type, at, answer: '-' }
    case 'voidRating':
      return { type, at, reason: '-' }
  }
}
