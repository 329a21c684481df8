using Microsoft.Extensions.Options;

namespace Atlas.Functions.Hosting;

/// <summary>Validates options on start with their own list of problems, each naming the setting to fix.</summary>
public sealed class OptionsProblems<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        problems(options).ToList() is { Count: > 0 } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
}
