using System.ComponentModel.DataAnnotations;

namespace NetOpsBot.Core;

/// <summary>
/// The data-annotation checks of an options object, each problem naming the full configuration key
/// (NetOps:Diagnosis:DebugWindowSeconds), so a host that refuses to start says which line of which file to fix.
/// </summary>
public static class OptionProblems
{
    public static IReadOnlyList<string> Of(object options, string section)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return [];
        }

        // A message that already names its key (ErrorMessage = "NetOps:...") is kept as written.
        return [.. results.Select(r => r.ErrorMessage?.StartsWith(section, StringComparison.Ordinal) == true
            ? r.ErrorMessage
            : $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")];
    }
}
