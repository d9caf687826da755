using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Core.Diagnosis;

/// <summary>
/// Reads what a runbook's catalogue says about a stored root-cause code: its title, a short phrase for headlines, the
/// lessons a postmortem carries, short names of fixes. The texts live on the runbook's definition; a code the runbook
/// does not know (or an incident without a known runbook) shows as the code itself, never an error.
/// </summary>
public static class RootCauseCatalogue
{
    public static string Title(RunbookDefinition? runbook, string code) => runbook?.Cause(code)?.Title ?? code;

    /// <summary>
    /// A few words for a headline. <paramref name="facts"/> are the run's findings and evidence lines, used to make
    /// the phrase concrete (the ghost port of a stuck listener).
    /// </summary>
    public static string Phrase(RunbookDefinition? runbook, string code, IEnumerable<string>? facts = null) =>
        runbook?.Cause(code)?.PhraseFor(facts) ?? code;

    public static IReadOnlyList<string> Takeaways(RunbookDefinition? runbook, string code) => runbook?.Cause(code)?.Lessons ?? [];

    /// <summary>What to check next when a diagnosis finds no fault on the device.</summary>
    public static IReadOnlyList<string> NoFaultNextChecks(RunbookDefinition? runbook) => runbook?.NoFaultNextChecks ?? [];

    /// <summary>A short name of a fix for headlines ("default route", "reboot").</summary>
    public static string FixName(RunbookDefinition? runbook, string planId, string title, bool reboot)
    {
        if (runbook is not null && runbook.FixNames.TryGetValue(planId, out var name))
        {
            return name;
        }

        if (reboot)
        {
            return "reboot";
        }

        return title.Length == 0 ? planId : char.ToLowerInvariant(title[0]) + title[1..];
    }
}
