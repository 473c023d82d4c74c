/**
 * The sandbox-side commands (run, image, gc) register here, so main.ts has one
 * list to print in its help.
 */
import type { Command } from './command.js';

export async function loadCommands(): Promise<readonly Command[]> {
  return [];
}
