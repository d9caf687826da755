using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Platforms;

namespace NetOpsBot.Ssh;

/// <summary>The files device access reads (`NetOps` section); each defaults to the running lab's.</summary>
public sealed class DeviceFilesOptions
{
    public const string SectionName = "NetOps";

    /// <summary>Where a running lab keeps its files; used when Inventory/KnownHosts/Credentials are not set.</summary>
    public string LabRunDirectory { get; set; } = "/tmp/netopsbot-lab";

    /// <summary>Inventory JSON (devices, jump hosts, console servers). Defaults to the running lab's.</summary>
    public string? InventoryPath { get; set; }

    /// <summary>OpenSSH known_hosts with the pinned keys of jump hosts and devices.</summary>
    public string? KnownHostsPath { get; set; }

    /// <summary>Credentials JSON (credential reference → user/password), mode 0600. Environment variables are the alternative.</summary>
    public string? CredentialsPath { get; set; }
}

/// <summary>The files the bot reads, resolved from configuration or, by default, from a running lab.</summary>
public sealed record DeviceFiles(string Inventory, string KnownHosts, string? Credentials)
{
    /// <summary>Resolves and checks the files; every problem names the key to set (NetOps:InventoryPath, ...).</summary>
    public static DeviceFiles Resolve(DeviceFilesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var lab = options.LabRunDirectory;
        string Pick(string? configured, string key, string labFile)
        {
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return File.Exists(configured)
                    ? configured
                    : throw new OptionsValidationException(key, typeof(DeviceFilesOptions), [$"NetOps:{key} points to '{configured}', which does not exist."]);
            }

            var fromLab = Path.Combine(lab, labFile);
            return File.Exists(fromLab)
                ? fromLab
                : throw new OptionsValidationException(key, typeof(DeviceFilesOptions),
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

        return new DeviceFiles(inventory, knownHosts, credentials);

        // Checked at start-up (and again by the readers at each use) so a loose file stops the host with the fix, not a diagnosis later.
        static void Refuse(string key, string? problem)
        {
            if (problem is not null)
            {
                throw new OptionsValidationException(key, typeof(DeviceFilesOptions), [problem]);
            }
        }
    }
}

/// <summary>Device access over SSH through the jump host, for both composition roots (the Host and the CLI).</summary>
public static class SshServiceCollectionExtensions
{
    /// <summary>
    /// Binds and checks <see cref="DeviceFilesOptions"/> at start, and registers the inventory, credentials and
    /// <see cref="IDeviceAccess"/>. Uses <see cref="IJumpHostKeyProvider"/> and <see cref="DevicePlatforms"/> (for
    /// each platform's dialect) when registered.
    /// </summary>
    public static IServiceCollection AddNetOpsSsh(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DeviceFilesOptions>()
            .Bind(configuration.GetSection(DeviceFilesOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeviceFilesOptions>, DeviceFilesValidator>();
        services.AddSingleton(sp => DeviceFiles.Resolve(sp.GetRequiredService<IOptions<DeviceFilesOptions>>().Value));
        services.AddSingleton(sp => InventoryFile.Load(sp.GetRequiredService<DeviceFiles>().Inventory));
        services.AddSingleton<IDeviceInventory>(sp => sp.GetRequiredService<InventoryFile>());
        services.AddSingleton<ICredentialProvider>(sp => sp.GetRequiredService<DeviceFiles>().Credentials is { } file
            ? new JsonFileCredentialProvider(file)
            : new EnvironmentCredentialProvider());
        services.AddSingleton(sp =>
        {
            var connector = sp.GetRequiredService<InventoryFile>().ToConnectorOptions(sp.GetRequiredService<DeviceFiles>().KnownHosts);
            return new SshDeviceAccess(
                connector with
                {
                    JumpHostKeys = sp.GetService<IJumpHostKeyProvider>() ?? connector.JumpHostKeys,
                    Dialects = sp.GetService<DevicePlatforms>() is { } platforms ? platforms.DialectFor : connector.Dialects,
                },
                sp.GetRequiredService<ICredentialProvider>(),
                sp.GetService<ILogger<SshDeviceAccess>>(),
                sp.GetService<TimeProvider>());
        });
        services.AddSingleton<IDeviceAccess>(sp => sp.GetRequiredService<SshDeviceAccess>());
        return services;
    }

    private sealed class DeviceFilesValidator : IValidateOptions<DeviceFilesOptions>
    {
        public ValidateOptionsResult Validate(string? name, DeviceFilesOptions options)
        {
            try
            {
                _ = DeviceFiles.Resolve(options);
                return ValidateOptionsResult.Success;
            }
            catch (OptionsValidationException ex)
            {
                return ValidateOptionsResult.Fail(ex.Failures);
            }
        }
    }
}
