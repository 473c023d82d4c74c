/**
 * The sandbox-side commands (run, image, gc) register here, so main.ts has one
 * list to print in its help.
 */
import type { Command } from './command.js';
import { gcCommand } from './gc-command.js';
import { imageCommand } from './image-command.js';
import { runCommand } from './run-command.js';

export async function loadCommands(): Promise<readonly Command[]> {
  return [runCommand, imageCommand, gcCommand];
}
