namespace NetOpsBot.Cards;

/// <summary>What a button asks the bot to do. Wire names: approve, reject, run, show-output, withdraw.</summary>
public enum CardActionVerb
{
    Approve,
    Reject,

    /// <summary>Request a remediation (it then waits for approval when its policy needs one).</summary>
    Run,
    ShowOutput,

    /// <summary>The requester takes their own pending request back (approvers reject instead).</summary>
    Withdraw,
}
