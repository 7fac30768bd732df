package io.amirollout.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import io.amirollout.shared.Json;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

/**
 * Lambda Invoke. moto can run a function only in Docker (absent in CI), and its Docker-free mode
 * answers every Invoke, even for a function that does not exist. So the front asks moto's
 * GetFunction, with the caller's own credentials (which moto maps to the assumed account) and
 * region, whether the function exists there: if not, moto's 404 goes back to the caller; if it
 * does, the invocation is recorded with the function's real ARN and answered like AWS (202 for
 * InvocationType Event).
 */
public final class LambdaInvokeEmulator {

    /** One invocation: the function ARN moto resolved (account and region included), type, payload. */
    public record Invocation(String functionArn, String invocationType, String payload) {
        public JsonNode json() {
            return Json.readTree(payload);
        }
    }

    private final Forwarder moto;
    private final List<Invocation> invocations = java.util.Collections.synchronizedList(new ArrayList<>());

    LambdaInvokeEmulator(Forwarder moto) {
        this.moto = moto;
    }

    public List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    public void reset() {
        invocations.clear();
    }

    ResponseDefinition invoke(Request request) {
        String path = request.getUrl();
        int query = path.indexOf('?');
        String functionPath = (query < 0 ? path : path.substring(0, query)).replaceFirst("/invocations$", "");
        HttpResponse<String> function = moto.send(request, "GET", functionPath + (query < 0 ? "" : path.substring(query)), null);
        if (function.statusCode() != 200) {
            return responseDefinition().withStatus(function.statusCode())
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-amzn-ErrorType", "ResourceNotFoundException")
                    .withBody(function.body()).build();
        }
        String arn = Json.text(Json.readTree(function.body()).path("Configuration"), "FunctionArn");
        String type = request.header("X-Amz-Invocation-Type").isPresent()
                ? request.header("X-Amz-Invocation-Type").firstValue() : "RequestResponse";
        invocations.add(new Invocation(arn, type, request.getBodyAsString()));
        if ("Event".equals(type)) {
            return responseDefinition().withStatus(202).withHeader("Content-Type", "application/json").withBody("").build();
        }
        if ("DryRun".equals(type)) {
            return responseDefinition().withStatus(204).build();
        }
        return responseDefinition().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("X-Amz-Executed-Version", "$LATEST").withBody("null").build();
    }
}
