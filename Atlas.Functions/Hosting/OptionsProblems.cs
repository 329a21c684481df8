using Microsoft.Extensions.Options;

namespace Atlas.Functions.Hosting;

/// <summary>Validates options on start with their own list of problems, each naming the setting to fix.</summary>
public sealed class OptionsProblems<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        problems(options).ToList() is { Count: > 0 } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
}

public static class CheckedOptions
{
    /// <summary>Binds a section to <typeparamref name="T"/>, checked on start by <paramref name="problems"/>; returns the
    /// options as configured now, for registrations that depend on them.</summary>
    public static T AddCheckedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section, Func<T, IEnumerable<string>> problems)
        where T : class, new()
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new OptionsProblems<T>(problems));
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }
}
