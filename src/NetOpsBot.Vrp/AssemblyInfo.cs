using System.Runtime.CompilerServices;

// The rule table and facts are internal (not a contract) but are unit-tested rule by rule.
[assembly: InternalsVisibleTo("NetOpsBot.Vrp.Tests")]
