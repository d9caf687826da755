namespace NetOpsBot.Core;

/// <summary>
/// Marks the current asynchronous flow as background work (a running diagnosis, an execution, a sweep)
/// rather than a person waiting for an answer. Storage lets a waiting person's write go first, so a chat
/// command is acknowledged at once however many diagnoses are appending to their timelines.
/// </summary>
public static class BackgroundWork
{
    private static readonly AsyncLocal<bool> Active = new();

    /// <summary>True inside a flow marked with <see cref="Enter"/>.</summary>
    public static bool IsActive => Active.Value;

    /// <summary>
    /// Marks the rest of the calling flow (and the tasks it starts) as background. Call it at the top of a
    /// task started with <c>Task.Run</c>: the mark does not flow back to the caller.
    /// </summary>
    public static void Enter() => Active.Value = true;
}
