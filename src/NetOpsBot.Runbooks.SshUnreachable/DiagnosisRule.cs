using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>
/// One row of the rule table: when <see cref="When"/> holds over the facts, <see cref="Cause"/> fires with
/// the evidence <see cref="Evidence"/> selects. <see cref="Stops"/> rules end the verdict on their own
/// (nothing else is knowable or safe: jump host down, host key mismatch).
/// </summary>
internal sealed record DiagnosisRule(
    string Id,
    RootCause Cause,
    string Description,
    Func<DiagnosisFacts, bool> When,
    Func<DiagnosisFacts, Confidence> Confidence,
    Func<DiagnosisFacts, IReadOnlyList<string>> Evidence,
    bool Stops = false);
