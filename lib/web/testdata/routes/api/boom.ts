export function handler(): Response {
  throw new Error("Secret detail");
}
