namespace NetOpsBot.Core.Remediation;

/// <summary>Why the executor sends a command: the platform's confirmation policy answers each kind differently.</summary>
public enum PlanCommandRole
{
    /// <summary>A command of an approved config plan.</summary>
    Config,

    /// <summary>The save command of a reboot plan (sent only when the request said to save).</summary>
    Save,

    /// <summary>The reboot command itself.</summary>
    Reboot,

    /// <summary>Any other command of a reboot plan: it gets no "yes" it was not approved for.</summary>
    BeforeReboot,

    /// <summary>A read-only command of the platform's read-back table.</summary>
    ReadBack,
}

/// <summary>How the session answers the questions one command asks: one answer for all, or one per question text.</summary>
public sealed record CommandAnswers
{
    private CommandAnswers(string? single, Func<string, string?>? each)
    {
        AnswerToAll = single;
        Each = each;
    }

    /// <summary>"y", "n" or null (decline), for every question; used when <see cref="Each"/> is null.</summary>
    public string? AnswerToAll { get; }

    /// <summary>The answer by question text ("y", "n" or null to decline), or null to answer alike.</summary>
    public Func<string, string?>? Each { get; }

    /// <summary>Every question answered <paramref name="answer"/> ("y", "n", or null: declined).</summary>
    public static CommandAnswers Alike(string? answer) => new(answer, null);

    /// <summary>Each question answered by its text; a connector that cannot do that refuses before sending.</summary>
    public static CommandAnswers ByQuestion(Func<string, string?> answerFor)
    {
        ArgumentNullException.ThrowIfNull(answerFor);
        return new(null, answerFor);
    }
}

/// <summary>What a read-back found; <see cref="NextStep"/> is the way forward when the change took no effect.</summary>
public sealed record ReadBackOutcome(bool Verified, string Evidence, string? NextStep = null);

/// <summary>One read-back: the read-only commands it sends and how their outputs decide.</summary>
public sealed record ReadBack(string Name, IReadOnlyList<string> Commands, Func<IReadOnlyList<string>, ReadBackOutcome> Judge);

/// <summary>
/// The platform's words for a reboot in the thread ("reboot"/"reload", "device"/"switch"): the same sentences on
/// every platform, each in the words its engineers use.
/// </summary>
/// <param name="Verb">"reboot".</param>
/// <param name="Done">"rebooted".</param>
/// <param name="Device">"device".</param>
/// <param name="SaveSkipped">The line when the request said not to save.</param>
/// <param name="CannotAnswerEach">Why the reboot was not sent when the connector answers every question alike.</param>
public sealed record RebootWording(string Verb, string Done, string Device, string SaveSkipped, string CannotAnswerEach);
