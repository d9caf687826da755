using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using NetOpsBot.Ssh;

namespace NetOpsBot.Host;

/// <summary>The files the bot needs, resolved from configuration or, by default, from a running lab.</summary>
internal sealed record ResolvedPaths(string Inventory, string KnownHosts, string? Credentials);

/// <summary>Validates NetOps options at start-up; each failure names the configuration key to fix.</summary>
internal sealed class NetOpsOptionsValidator : IValidateOptions<NetOpsOptions>
{
    public ValidateOptionsResult Validate(string? name, NetOpsOptions options)
    {
        var failures = new List<string>();
        void Check(object target, string prefix)
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(target, new ValidationContext(target), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r => r.ErrorMessage?.StartsWith("NetOps:", StringComparison.Ordinal) == true
                    ? r.ErrorMessage
                    : $"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
            }
        }

        Check(options, NetOpsOptions.Section);
        Check(options.Diagnosis, NetOpsOptions.Section + ":Diagnosis");
        Check(options.Limits, NetOpsOptions.Section + ":Limits");
        Check(options.WebChat, NetOpsOptions.Section + ":WebChat");
        if (options.WebChat.Users.Count == 0 || options.WebChat.Users.Any(u => string.IsNullOrWhiteSpace(u) || u.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')))
        {
            failures.Add("NetOps:WebChat:Users must list at least one user name made of letters, digits, '-' or '_'.");
        }

        try
        {
            Resolve(options);
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static ResolvedPaths Resolve(NetOpsOptions options)
    {
        var lab = options.LabRunDirectory;
        string Pick(string? configured, string key, string labFile)
        {
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return File.Exists(configured)
                    ? configured
                    : throw new OptionsValidationException(key, typeof(NetOpsOptions), [$"NetOps:{key} points to '{configured}', which does not exist."]);
            }

            var fromLab = Path.Combine(lab, labFile);
            return File.Exists(fromLab)
                ? fromLab
                : throw new OptionsValidationException(key, typeof(NetOpsOptions),
                    [$"NetOps:{key} is not set and no lab is running in {lab} (start one with `netopsbot lab up --detach`, or set NetOps:{key})."]);
        }

        var inventory = Pick(options.InventoryPath, "InventoryPath", "inventory.json");
        var knownHosts = Pick(options.KnownHostsPath, "KnownHostsPath", "known_hosts");
        Refuse("KnownHostsPath", FilePermissions.TrustFileProblem(knownHosts, "NetOps:KnownHostsPath"));
        string? credentials = null;
        if (!string.IsNullOrWhiteSpace(options.CredentialsPath) || File.Exists(Path.Combine(lab, "credentials.json")))
        {
            credentials = Pick(options.CredentialsPath, "CredentialsPath", "credentials.json");
            Refuse("CredentialsPath", FilePermissions.SecretFileProblem(credentials, "NetOps:CredentialsPath"));
        }

        return new ResolvedPaths(inventory, knownHosts, credentials);

        // Checked at start-up (and again by the Ssh readers at each use) so a loose file stops the host with the fix, not a diagnosis later.
        static void Refuse(string key, string? problem)
        {
            if (problem is not null)
            {
                throw new OptionsValidationException(key, typeof(NetOpsOptions), [problem]);
            }
        }
    }
}
