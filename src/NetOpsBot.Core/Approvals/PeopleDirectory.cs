using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Approvals;

/// <summary>
/// The approver directory built from configuration (<see cref="PersonOptions"/>). Approver lists
/// (<c>NetOps:Approvals:Approvers</c>) and outside groups (an Entra group, a Slack user group) name accounts:
/// each account is resolved to its person, and the person is the approver, on every account they have.
/// </summary>
public sealed class PeopleDirectory : IPeopleDirectory
{
    private readonly Dictionary<(string Platform, string UserId), Person> _byAccount = [];
    private readonly Dictionary<string, (bool Approver, List<(string Platform, string UserId)> Accounts)> _byPerson = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _listed = new(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyList<IApproverGroup> _groups;

    /// <exception cref="ArgumentException">The configuration has problems (<see cref="Validate"/>).</exception>
    public PeopleDirectory(IReadOnlyDictionary<string, PersonOptions> people, ApprovalOptions approvals, IEnumerable<IApproverGroup>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(approvals);
        var problems = Validate(people, approvals);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(people));
        }

        _groups = [.. groups ?? []];
        foreach (var (id, options) in people)
        {
            var person = new Person(id, string.IsNullOrWhiteSpace(options.DisplayName) ? id : options.DisplayName.Trim());
            var accounts = options.Accounts().Select(a => Key(a.Platform, a.UserId)).ToList();
            _byPerson[id] = (options.Approver, accounts);
            foreach (var account in accounts)
            {
                _byAccount[account] = person;
            }
        }

        foreach (var (platform, ids) in approvals.Approvers ?? [])
        {
            if (!_listed.TryGetValue(platform, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                _listed[platform] = set;
            }

            set.UnionWith((ids ?? []).Select(id => Key(platform, id).UserId));
        }
    }

    /// <summary>Problems that must stop start-up, each naming its key; empty when the directory is usable.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyDictionary<string, PersonOptions> people, ApprovalOptions approvals)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(approvals);
        var errors = new List<string>();
        var owners = new Dictionary<(string, string), string>();
        foreach (var (id, options) in people)
        {
            var key = $"{PersonOptions.SectionName}:{id}";
            if (id is not { Length: > 0 and <= 64 } || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                errors.Add($"{key}: a person's id must be 1-64 letters, digits, '-', '_' or '.'");
                continue;
            }

            if (options is null)
            {
                errors.Add($"{key} is empty");
                continue;
            }

            foreach (var (platform, userId) in options.Accounts())
            {
                var listKey = $"{key}:{Section(platform)}";
                if (userId is not { Length: > 0 and <= 128 } || userId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                {
                    errors.Add($"{listKey} must list account ids (1-128 characters, no spaces)");
                    continue;
                }

                if (platform == "teams" && !Guid.TryParse(userId, out _))
                {
                    errors.Add($"{listKey} must list Entra object ids (GUIDs), not '{userId}'");
                    continue;
                }

                if (owners.TryGetValue(Key(platform, userId), out var other) && other != id)
                {
                    errors.Add($"{listKey} lists '{userId}', which {PersonOptions.SectionName}:{other} lists too: an account belongs to one person");
                }

                owners[Key(platform, userId)] = id;
            }
        }

        foreach (var (platform, ids) in approvals.Approvers ?? [])
        {
            foreach (var userId in ids ?? [])
            {
                if (!string.IsNullOrWhiteSpace(userId) && !owners.ContainsKey(Key(platform, userId)))
                {
                    errors.Add($"{ApprovalOptions.SectionName}:Approvers:{platform} lists '{userId}', who is not in {PersonOptions.SectionName}: an account that belongs to no person cannot approve");
                }
            }
        }

        return errors;
    }

    public Person? Find(ChatUser account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return _byAccount.GetValueOrDefault(Key(account.Platform, account.UserId));
    }

    public async ValueTask<bool> IsApproverAsync(Person person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        if (!_byPerson.TryGetValue(person.Id, out var entry))
        {
            return false;
        }

        if (entry.Approver || entry.Accounts.Any(a => _listed.TryGetValue(a.Platform, out var ids) && ids.Contains(a.UserId)))
        {
            return true;
        }

        foreach (var (platform, userId) in entry.Accounts)
        {
            foreach (var group in _groups)
            {
                if (string.Equals(group.Platform, platform, StringComparison.OrdinalIgnoreCase)
                    && await group.ContainsAsync(userId, cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // Entra object ids are GUIDs that clients spell in either case; Slack and web chat ids are exact.
    private static (string Platform, string UserId) Key(string platform, string userId)
    {
        var p = platform.Trim().ToLowerInvariant();
        var id = userId.Trim();
        return (p, p == "teams" ? id.ToLowerInvariant() : id);
    }

    private static string Section(string platform) => platform switch
    {
        "teams" => "Teams",
        "slack" => "Slack",
        _ => "WebChat",
    };
}
