using NetOpsBot.Core.Access;

namespace NetOpsBot.Ssh;

public enum ConfirmationMode
{
    /// <summary>Reply "n" and report the question as the command's error line (the safe default).</summary>
    Decline,

    /// <summary>Reply with <see cref="ConfirmationPolicy.Reply"/> (a remediation the runbook approved).</summary>
    Answer,

    /// <summary>Send nothing: the command then ends in a <see cref="TimeoutException"/> that names the question.</summary>
    LeaveUnanswered,
}

/// <summary>How a command's [Y/N] question is answered. Questions are never answered "y" unless a caller says so.</summary>
public sealed record ConfirmationPolicy
{
    private ConfirmationPolicy(ConfirmationMode mode, string? reply)
    {
        Mode = mode;
        Reply = reply;
    }

    public static ConfirmationPolicy Decline { get; } = new(ConfirmationMode.Decline, "n");

    public static ConfirmationPolicy LeaveUnanswered { get; } = new(ConfirmationMode.LeaveUnanswered, null);

    public ConfirmationMode Mode { get; }

    public string? Reply { get; }

    /// <summary>When set, chooses the reply per question text (e.g. "n" to "save first?", "y" to "reboot?").</summary>
    public Func<string, string?>? ReplyFor { get; private init; }

    /// <summary>The reply to <paramref name="question"/>: only 'y' or 'n', anything else declines.</summary>
    public string ReplyTo(string question)
    {
        var reply = ReplyFor is null ? Reply : ReplyFor(question);
        return reply is "y" or "Y" ? "y" : "n";
    }

    /// <summary>Answers each question by its text; a selector returning anything but y/n declines that question.</summary>
    public static ConfirmationPolicy AnswerEach(Func<string, string?> replyFor)
    {
        ArgumentNullException.ThrowIfNull(replyFor);
        return new ConfirmationPolicy(ConfirmationMode.Answer, null) { ReplyFor = replyFor };
    }

    /// <summary>An explicit answer, e.g. "y" for an approved reboot. Only 'y'/'n' are accepted: nothing else is typed into a device.</summary>
    public static ConfirmationPolicy Answer(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply is not ("y" or "n" or "Y" or "N"))
        {
            throw new ArgumentException("a confirmation reply is 'y' or 'n'", nameof(reply));
        }

        return new ConfirmationPolicy(ConfirmationMode.Answer, reply.ToLowerInvariant());
    }
}

/// <summary>A CLI session with the confirmation-aware overload used by remediation, in any dialect.</summary>
public interface IInteractiveCliSession : IDeviceCliSession
{
    /// <summary>Like <see cref="IDeviceCliSession.RunAsync"/>, answering the device's questions as <paramref name="confirmation"/> says.</summary>
    Task<CliResult> RunAsync(string command, TimeSpan timeout, ConfirmationPolicy confirmation, CancellationToken cancellationToken);

    /// <summary>The banner printed before the first prompt.</summary>
    string Banner { get; }
}
