namespace NetOpsBot.Cards;

/// <summary>
/// An earlier run of the incident (the initial diagnosis, a re-check, the re-diagnosis after a fix), kept on the card
/// when the runbook runs again: its verdict, evidence and each step's full output stay one click away.
/// </summary>
public sealed record RunView(int Number, string Title)
{
    public IReadOnlyList<VerdictView> Verdicts { get; init; } = [];

    public IReadOnlyList<StepView> Steps { get; init; } = [];
}
