using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace SampleWorker;

/// <summary>GET reads an item, POST echoes what was sent for it; the route only matches integer ids.</summary>
public static class Items
{
    [Function(nameof(Items))]
    public static async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "items/{id:int}")] HttpRequest request,
        int id)
    {
        if (HttpMethods.IsGet(request.Method))
        {
            return new OkObjectResult(new { id, name = $"item {id}", query = request.Query["tag"].ToString() });
        }

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        return new ObjectResult(new { id, received = body }) { StatusCode = StatusCodes.Status201Created };
    }
}
