/**
 * A TaskManager is a logical host: subtasks are placed on TaskManagers, and state crosses from one to
 * another only as bytes. Placement is round-robin per operator, like Flink's evenly spread slots.
 */

export class TaskManager {
  /** Labels (`<operator>-<subtask>`) of the subtasks placed here. */
  readonly tasks: string[] = [];
  constructor(readonly id: number) {}
}

/** TaskManager index of subtask `subtask` when an operator's subtasks are spread over `count` hosts. */
export function placeSubtask(subtask: number, count: number): number {
  return subtask % count;
}
