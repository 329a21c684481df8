using Atlas.Demo;

// ./atlas demo [--api http://localhost:7071/api] [--admin-phone +447700900000]
var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
var unknown = args.Where((arg, i) => i % 2 == 0 && arg is not ("--api" or "--admin-phone")).ToList();
if (unknown.Count > 0 || args.Length % 2 != 0)
{
    Console.Error.WriteLine("usage: ./atlas demo [--api http://localhost:7071/api] [--admin-phone +447700900000]");
    return 2;
}

var api = new Uri(options.GetValueOrDefault("--api", "http://localhost:7071/api").TrimEnd('/') + "/");
var adminPhone = options.GetValueOrDefault("--admin-phone", "+447700900000");
using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };

try
{
    var cast = await new Walkthrough(new AtlasApi(http), Console.Out, adminPhone, TimeProvider.System).RunAsync();
    cast.Print(Console.Out);
    return 0;
}
catch (HttpRequestException e)
{
    Console.Error.WriteLine($"atlas demo: nothing answers at {api} ({e.Message}). Start Atlas first: ./atlas run");
    return 1;
}
catch (DemoFailure e)
{
    Console.Error.WriteLine($"atlas demo: {e.Message}");
    return 1;
}
