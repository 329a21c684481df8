using Atlas.Functions;
using Atlas.Testing;
using Microsoft.Extensions.Hosting;

namespace Atlas.Tests.Architecture;

/// <summary>The app's services as the container makes them, before anything runs: a missing registration or a service
/// that depends on itself fails here by name, not as a worker that never finishes starting.</summary>
public sealed class ServiceWiringTests
{
    [Fact]
    public async Task Every_service_the_app_registers_can_be_made_and_none_waits_on_itself()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(TestSettings.For(Azurite.NewPrefix()));
        builder.Services.AddAtlasServices(builder.Configuration, builder.Environment);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        var types = builder.Services.Select(d => d.ServiceType).Where(t => !t.ContainsGenericParameters).Distinct().ToList();
        using var host = builder.Build();
        using var scope = host.Services.CreateScope();

        // Each made, not only checked: a service a factory makes (a lifecycle) shows what it needs only when made, and
        // a cycle through a factory does not throw, it waits on itself (the relay needing the lifecycles did).
        var failures = new List<string>();
        var making = "";
        var made = Task.Run(() =>
        {
            foreach (var type in types)
            {
                making = type.Name;
                try
                {
                    _ = scope.ServiceProvider.GetServices(type).ToList();
                }
                catch (Exception e)
                {
                    failures.Add($"{type.Name}: {e.GetBaseException().Message}");
                }
            }
        });

        Assert.True(await Task.WhenAny(made, Task.Delay(TimeSpan.FromSeconds(30))) == made, $"Making {making} did not finish: it waits on itself.");
        Assert.Empty(failures);
    }
}
