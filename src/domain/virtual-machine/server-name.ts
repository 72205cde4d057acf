import { InvalidServerInputError } from './virtual-machine.errors.js';

/** Nova's rule for server names: 1 to 255 characters, not only white space, no leading/trailing space. */
export function assertValidServerName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 255) {
    throw new InvalidServerInputError('Invalid input for field/attribute name. Value must be 1 to 255 characters long.');
  }
  if (name.trim() !== name) {
    throw new InvalidServerInputError('Invalid input for field/attribute name. Leading and trailing spaces are not allowed.');
  }
}
