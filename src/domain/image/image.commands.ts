import type { ImageData } from './image.events.js';

export type ImageCommand = { type: 'RegisterImage'; data: ImageData } | { type: 'DeleteImage'; data: { id: string } };
