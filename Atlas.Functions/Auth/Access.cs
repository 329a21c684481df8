using Atlas.Core.Auth;
using Atlas.Functions.Functions;

namespace Atlas.Functions.Auth;

/// <summary>Who may call an HTTP function: anyone, or a signed-in caller holding one of the roles. Every function
/// declares one; a route without it is refused (deny by default).</summary>
public sealed record Access
{
    private Access(bool anonymous, IReadOnlySet<Role> roles)
    {
        IsAnonymous = anonymous;
        Roles = roles;
    }

    public static Access Anyone { get; } = new(true, new HashSet<Role>());

    public static Access SignedIn { get; } = new(false, Enum.GetValues<Role>().ToHashSet());

    public bool IsAnonymous { get; }

    public IReadOnlySet<Role> Roles { get; }

    public static Access For(params Role[] roles) =>
        roles.Length > 0 ? new(false, roles.ToHashSet()) : throw new ArgumentException("Name at least one role.", nameof(roles));

    public bool Allows(Role role) => IsAnonymous || Roles.Contains(role);
}

/// <summary>Who may call an HTTP function, declared on its method; the access middleware enforces it and the OpenAPI
/// document shows it. A function without one is refused to everyone.</summary>
[AttributeUsage(AttributeTargets.Method)]
public abstract class AccessAttribute : Attribute
{
    public abstract Access Access { get; }
}

/// <summary>Open to anyone, signed in or not (sign-in itself, webhooks, health).</summary>
public sealed class AnyoneAttribute : AccessAttribute
{
    public override Access Access => Access.Anyone;
}

/// <summary>Any signed-in caller, whatever their role.</summary>
public sealed class SignedInAttribute : AccessAttribute
{
    public override Access Access => Access.SignedIn;
}

/// <summary>Signed-in callers holding one of these roles.</summary>
public sealed class RolesAttribute(params Role[] roles) : AccessAttribute
{
    public override Access Access { get; } = Access.For(roles);
}

/// <summary>The access an HTTP function declares, as the function index read it.</summary>
public static class FunctionAccess
{
    extension(HttpFunction function)
    {
        /// <summary>Who may call the function; null when it declares nobody (refused to everyone).</summary>
        public Access? Access => function.Attributes.OfType<AccessAttribute>().FirstOrDefault()?.Access;
    }
}
