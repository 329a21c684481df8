using System.Reflection;
using System.Text.RegularExpressions;
using Atlas.Core.Common;
using Atlas.Functions;
using NetArchTest.Rules;

namespace Atlas.Tests.Architecture;

/// <summary>
/// The directions docs/lifecycles.md ("Runtime and features") sets, read from the compiled assemblies: the runtime
/// imports no feature (of Atlas.Functions or Atlas.Core), Atlas.Core imports nothing of Atlas.Functions, and a feature
/// uses another only through the types named here as that feature's public surface. Only the app itself
/// (<see cref="AtlasApp"/>, in the root namespace) names them all.
/// </summary>
public sealed class ArchitectureTests
{
    private const string Functions = "Atlas.Functions";

    /// <summary>What loads, decides, commits and relays, and the plumbing every function runs in.</summary>
    private static readonly string[] Runtime = ["Lifecycles", "Storage", "Queues", "Http", "Telemetry", "Hosting", "Common", "Functions"];

    /// <summary>
    /// Each feature (a namespace and its children) and the types other features may use. Anything else in it is its
    /// own. A new use of another feature's type fails <see cref="A_feature_uses_another_only_through_its_public_surface"/>:
    /// either it goes through what is listed here, or the entry is added here, in review, where it shows.
    /// </summary>
    private static readonly Dictionary<string, string[]> Surfaces = new(StringComparer.Ordinal)
    {
        // Who may call a function and who is calling: every feature's HTTP functions; the codes and sessions an
        // erasure or an export must reach.
        ["Auth"] =
        [
            "Access", "AnyoneAttribute", "SignedInAttribute", "RolesAttribute", "FunctionAccess", "Caller", "AccessControl", "PlatformAdmins",
            "AuthOptions", "AuthOptionsValidation", "PhoneKeys", "SignInCodes", "CodeConfirmation", "SessionIssuer", "UserSessions",
        ],
        ["Bookings"] = ["BookingIndex", "BookingOptions", "BookingView", "BookingViews", "EndingView"],
        ["Companies"] = ["CompanyStore", "Company", "Member", "Driver", "DriverLocation", "VehicleFit", "Page`1", "DriverLocator", "DriverSpot"],
        ["Integration"] = ["IntegrationMessage", "IntegrationPublishing"],
        ["Ledger"] = ["LedgerStore", "LedgerRecording"],
        ["Notifications"] =
        [
            "NoticeSending", "SignInCodeDelivery", "Device", "DevicePlatform", "Devices", "UserProfile", "UserProfiles", "PendingEmail",
            "Receipt", "Receipts", "Providers.SmsLog", "Providers.SmsRecord", "Providers.SmsSent",
        ],
        ["Ops"] = ["AuditedAttribute"],
        ["OpsConsole"] = [],
        ["Payments"] = ["PaymentOptions", "PaymentProfile", "PaymentProfiles"],
        ["Privacy"] = ["Erasures", "ErasureFunctions"],
        ["Quotes"] = ["Quote", "QuoteTokens"],
        ["Rides"] = ["RideContext", "RideView", "RideViewer"],
        ["Settlement"] = ["SettlementOptions", "SettlementRun", "SettlementStore", "SettlementLine"],

        // The client of Stripe's API, shared by the features that move money.
        ["Stripe"] =
        [
            "IStripeApi", "IRetriedStripeApi", "StripeApi", "StripeOptions", "StepRetry", "StripeResult`1", "StripeError", "StripeUnavailableException", "IntentRequest",
            "TransferRequest", "PaymentIntentReading",
        ],
        ["Webhooks"] = ["StripeEventLog", "StripeEventRecord", "StripeEventStatus"],
    };

    private static readonly Assembly App = typeof(AtlasApp).Assembly;

    private static readonly Assembly Domain = typeof(Decider<,>).Assembly;

    [Fact]
    public void Every_namespace_of_Atlas_Functions_is_the_app_the_runtime_or_a_feature()
    {
        var known = Runtime.Concat(Surfaces.Keys).ToHashSet(StringComparer.Ordinal);
        var unknown = App.GetTypes()
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(n => n.StartsWith(Functions + ".", StringComparison.Ordinal))
            .Select(n => n[(Functions.Length + 1)..].Split('.')[0])
            .Where(n => !known.Contains(n))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(unknown.Count == 0, $"Say whether these are the runtime or a feature (ArchitectureTests): {string.Join(", ", unknown)}");
    }

    [Fact]
    public void The_runtime_depends_on_no_feature_of_Atlas_Functions_or_Atlas_Core_nor_on_the_app()
    {
        var forbidden = Surfaces.Keys.Select(f => $"{Functions}.{f}")
            .Concat(AppTypes())
            .Concat(DomainFeatures())
            .ToArray();

        var violations = Using(forbidden, Runtime);

        Assert.True(violations.Count == 0, Explain(violations, forbidden));
    }

    [Fact]
    public void Atlas_Core_depends_on_nothing_of_Atlas_Functions()
    {
        var violations = Types.InAssembly(Domain).That().HaveDependencyOn(Functions).GetTypes().ToList();

        Assert.True(violations.Count == 0, Explain(violations, [Functions]));
    }

    [Fact]
    public void A_feature_uses_another_only_through_its_public_surface()
    {
        var failures = new List<string>();
        foreach (var feature in Surfaces.Keys)
        {
            var forbidden = Surfaces.Keys.Where(other => other != feature).SelectMany(Internals).Concat(AppTypes()).ToArray();
            if (Using(forbidden, [feature]) is { Count: > 0 } violations)
            {
                failures.Add(Explain(violations, forbidden));
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_type_of_a_public_surface_exists_and_another_feature_uses_it()
    {
        var problems = new List<string>();
        foreach (var (feature, names) in Surfaces)
        {
            foreach (var name in names)
            {
                var fullName = $"{Functions}.{feature}.{name}";
                if (App.GetType(fullName) is null)
                {
                    problems.Add($"{fullName} is not a type of Atlas.Functions.");
                    continue;
                }

                if (Using([fullName], Surfaces.Keys.Where(other => other != feature)).Count == 0)
                {
                    problems.Add($"{fullName} is used by no other feature: take it off {feature}'s surface.");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>The types of the namespaces given (relative to Atlas.Functions, with their children) that use any of
    /// <paramref name="dependencies"/> (namespaces or types). NetArchTest finds the users (signatures, attributes,
    /// method bodies, closures); where a type lives is read here, a nested type living where its outermost type does.</summary>
    private static List<Type> Using(string[] dependencies, IEnumerable<string> namespaces)
    {
        var within = namespaces.Select(ns => $"{Functions}.{ns}").ToList();
        return Types.InAssembly(App).That().HaveDependencyOnAny(dependencies).GetTypes()
            .Where(t => Outermost(t).Namespace is { } ns && within.Any(w => ns == w || ns.StartsWith(w + ".", StringComparison.Ordinal)))
            .ToList();
    }

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    /// <summary>A feature's types other features may not use: all but its surface (nested types go with their own).</summary>
    private static IEnumerable<string> Internals(string feature)
    {
        var surface = Surfaces[feature].Select(name => $"{Functions}.{feature}.{name}").ToHashSet(StringComparer.Ordinal);
        return App.GetTypes()
            .Where(t => !t.IsNested && t.Namespace is { } ns && (ns == $"{Functions}.{feature}" || ns.StartsWith($"{Functions}.{feature}.", StringComparison.Ordinal)))
            .Select(t => t.FullName!)
            .Where(name => !surface.Contains(name) && !name.Contains('<', StringComparison.Ordinal));
    }

    /// <summary>Atlas.Core's namespaces but Common (the decider's shape, ids, money): one per feature.</summary>
    private static IEnumerable<string> DomainFeatures() =>
        Domain.GetTypes()
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(n => n.StartsWith("Atlas.Core.", StringComparison.Ordinal) && n != typeof(Decider<,>).Namespace)
            .Distinct(StringComparer.Ordinal);

    /// <summary>The app's own types (the composition root, its catch-all function, the generated function executor).</summary>
    private static IEnumerable<string> AppTypes() =>
        App.GetTypes().Where(t => !t.IsNested && t.Namespace == Functions).Select(t => t.FullName!);

    /// <summary>Each type at fault and what it must not use, found one by one (only when a rule failed).</summary>
    private static string Explain(List<Type> violations, string[] forbidden) =>
        string.Join(
            Environment.NewLine,
            violations.Select(type => $"{type.FullName} uses {string.Join(", ", forbidden.Where(f => Uses(type, f)))}"));

    private static bool Uses(Type type, string dependency) =>
        Types.InAssembly(type.Assembly).That().HaveNameMatching("^" + Regex.Escape(type.Name) + "$")
            .And().HaveDependencyOn(dependency)
            .GetTypes()
            .Contains(type);
}
