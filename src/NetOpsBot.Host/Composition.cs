using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NetOpsBot.Host;

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
        Check(options.Limits, NetOpsOptions.Section + ":Limits");
        Check(options.WebChat, NetOpsOptions.Section + ":WebChat");
        if (options.WebChat.Users.Count == 0 || options.WebChat.Users.Any(u => string.IsNullOrWhiteSpace(u) || u.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')))
        {
            failures.Add("NetOps:WebChat:Users must list at least one user name made of letters, digits, '-' or '_'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The Host's own options sections, each validated at start with the failing key named.</summary>
internal static class HostOptionsRegistration
{
    public static IServiceCollection AddNetOpsHostOptions(this IServiceCollection services, IConfiguration configuration)
    {
        Add<IncidentSettings>(services, configuration.GetSection(IncidentSettings.SectionName));
        Add<RemediationSettings>(services, configuration.GetSection(RemediationSettings.SectionName));
        return services;
    }

    private static void Add<T>(IServiceCollection services, IConfigurationSection section)
        where T : class
    {
        services.AddOptions<T>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new AnnotatedOptionsValidator<T>(section.Path));
    }

    private sealed class AnnotatedOptionsValidator<T>(string section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            NetOpsBot.Core.OptionProblems.Of(options, section) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}

internal static class RemediationSettingsExtensions
{
    public static NetOpsBot.Core.Remediation.ExecutionOptions ToExecutionOptions(this RemediationSettings settings) =>
        (settings.RecoveryDeadlineSeconds is { } deadline
            ? new NetOpsBot.Core.Remediation.ExecutionOptions { RecoveryDeadline = TimeSpan.FromSeconds(deadline) }
            : new NetOpsBot.Core.Remediation.ExecutionOptions()) with
        {
            ProbeInterval = TimeSpan.FromSeconds(settings.ProbeIntervalSeconds),
            ProgressInterval = TimeSpan.FromSeconds(settings.ProgressIntervalSeconds),
        };
}
