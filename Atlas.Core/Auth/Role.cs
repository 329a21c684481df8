namespace Atlas.Core.Auth;

/// <summary>Who a caller is. Drivers, dispatchers and company admins belong to one company; the others to none.</summary>
public enum Role
{
    Rider,
    Driver,
    Dispatcher,
    CompanyAdmin,
    PlatformAdmin,
}

public static class Roles
{
    /// <summary>The roles a company admin may give a member.</summary>
    public static bool IsCompanyRole(Role role) => role is Role.Driver or Role.Dispatcher or Role.CompanyAdmin;
}

/// <summary>Roles as text (in tokens and JSON): camelCase names, nothing else.</summary>
public static class RoleNames
{
    public static string ToText(Role role) => Text[role];

    public static bool TryParse(string? text, out Role role)
    {
        role = Text.FirstOrDefault(p => p.Value == text).Key;
        return text is not null && Text.ContainsValue(text);
    }

    private static readonly Dictionary<Role, string> Text =
        Enum.GetValues<Role>().ToDictionary(r => r, r => char.ToLowerInvariant(r.ToString()[0]) + r.ToString()[1..]);
}
