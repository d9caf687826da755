using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Platforms;

/// <summary>The device platforms and the diagnosis over them, for both composition roots (the Host and the CLI).</summary>
public static class PlatformsServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="DiagnosisOptions"/> (a bad value stops the host at start, naming the key) and
    /// registers <see cref="DevicePlatforms"/>, the runbook's <see cref="SshUnreachableOptions"/>, the
    /// <see cref="IDiagnosisRunner"/> and the runbook registry. Needs <see cref="IDeviceAccess"/> and <see cref="IDeviceInventory"/> (AddNetOpsSsh).
    /// </summary>
    public static IServiceCollection AddNetOpsPlatforms(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DiagnosisOptions>()
            .Bind(configuration.GetSection(DiagnosisOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DiagnosisOptions>, DiagnosisOptionsValidator>();
        services.AddSingleton(KnownPlatforms.All);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DiagnosisOptions>>().Value.ToRunbookOptions());
        services.AddSingleton<IDiagnosisRunner>(sp => new DiagnosisRunner(
            sp.GetRequiredService<IDeviceAccess>(),
            sp.GetRequiredService<IDeviceInventory>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<SshUnreachableOptions>(),
            sp.GetRequiredService<DevicePlatforms>()));
        // Resolved when first asked for, so it wraps the runner registered last (the Host's gateway-first wrapper).
        services.AddSingleton(sp => KnownRunbooks.Create(sp.GetRequiredService<IDiagnosisRunner>()));
        return services;
    }

    private sealed class DiagnosisOptionsValidator : IValidateOptions<DiagnosisOptions>
    {
        public ValidateOptionsResult Validate(string? name, DiagnosisOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
