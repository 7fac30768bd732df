package io.amirollout.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The endpoint the functions under test talk to: a WireMock server on loopback in front of moto.
 * Every request is proxied to moto (lowest priority stub), except the calls moto does not
 * implement, which higher-priority stubs answer in the real wire format:
 * Auto Scaling Start/Describe/Cancel/RollbackInstanceRefresh ({@link InstanceRefreshEmulator}),
 * Image Builder StartImagePipelineExecution/GetImage ({@link ImageBuilderEmulator}), Lambda Invoke
 * ({@link LambdaInvokeEmulator}), and EC2 CreateLaunchTemplate(Version) for the SourceVersion and
 * ClientToken semantics moto lacks ({@link LaunchTemplateShim}). WireMock's request journal keeps
 * every call, so a test can assert exactly what a function asked AWS to do.
 *
 * <p>{@link #routeFunctionsHere()} sets the SDK's own {@code aws.endpointUrl} system property (the
 * twin of {@code AWS_ENDPOINT_URL}): clients the functions build the production way, with
 * {@code AwsClients.build(...)}, come here without the code knowing.
 */
public final class AwsFront implements AutoCloseable {

    private static final String EMULATE = "emulate";

    private final WireMockServer server;
    private final InstanceRefreshEmulator refreshes;
    private final ImageBuilderEmulator imageBuilder;
    private final LambdaInvokeEmulator lambda;
    private final LaunchTemplateShim launchTemplates;

    private AwsFront(URI moto) {
        Forwarder forwarder = new Forwarder(moto);
        this.refreshes = new InstanceRefreshEmulator(forwarder);
        this.imageBuilder = new ImageBuilderEmulator();
        this.lambda = new LambdaInvokeEmulator(forwarder);
        this.launchTemplates = new LaunchTemplateShim(forwarder);
        this.server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new Dispatcher()));
        server.start();

        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(moto.toString())));
        for (String action : List.of("StartInstanceRefresh", "DescribeInstanceRefreshes", "CancelInstanceRefresh",
                "RollbackInstanceRefresh", "CreateLaunchTemplate", "CreateLaunchTemplateVersion")) {
            server.stubFor(post(urlPathEqualTo("/")).atPriority(1)
                    .withRequestBody(matching("(.*&)?Action=" + action + "(&.*)?"))
                    .willReturn(aResponse().withTransformers(Dispatcher.NAME).withTransformerParameter(EMULATE, action)));
        }
        server.stubFor(put(urlPathEqualTo("/StartImagePipelineExecution")).atPriority(1)
                .willReturn(aResponse().withTransformers(Dispatcher.NAME).withTransformerParameter(EMULATE, "StartImagePipelineExecution")));
        server.stubFor(get(urlPathEqualTo("/GetImage")).atPriority(1)
                .willReturn(aResponse().withTransformers(Dispatcher.NAME).withTransformerParameter(EMULATE, "GetImage")));
        server.stubFor(post(urlPathMatching("/2015-03-31/functions/[^/]+/invocations")).atPriority(1)
                .willReturn(aResponse().withTransformers(Dispatcher.NAME).withTransformerParameter(EMULATE, "Invoke")));
    }

    /** A front on a free loopback port, in front of the moto server the build started. */
    public static AwsFront start() {
        return new AwsFront(Moto.endpoint());
    }

    /** The server's URL on 127.0.0.1 (WireMock's baseUrl says localhost, which may resolve to ::1 first). */
    public static String loopback(WireMockServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    public URI endpoint() {
        return URI.create(loopback(server));
    }

    /** Points every SDK client built from now on without an explicit endpoint (the functions') here. */
    public AwsFront routeFunctionsHere() {
        System.setProperty("aws.endpointUrl", loopback(server));
        return this;
    }

    /** A seeding/reading client through the front (launch templates must be created this way). */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return Moto.client(builder, null, Moto.REGION, endpoint());
    }

    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, String accountId) {
        return Moto.client(builder, accountId, Moto.REGION, endpoint());
    }

    public InstanceRefreshEmulator refreshes() {
        return refreshes;
    }

    public ImageBuilderEmulator imageBuilder() {
        return imageBuilder;
    }

    public LambdaInvokeEmulator lambda() {
        return lambda;
    }

    /** Forgets every recorded request and emulated state (moto is reset separately). */
    public void reset() {
        server.resetRequests();
        refreshes.reset();
        imageBuilder.reset();
        lambda.reset();
        launchTemplates.reset();
    }

    /** Every query-protocol call (EC2, Auto Scaling, SNS, STS...) with this Action, oldest first, as parameter maps. */
    public List<Map<String, String>> queryCalls(String action) {
        List<Map<String, String>> calls = new ArrayList<>();
        for (LoggedRequest request : requests()) {
            Map<String, String> params = QueryForm.parse(request.getBodyAsString());
            if (action.equals(params.get("Action"))) {
                calls.add(params);
            }
        }
        return calls;
    }

    /** The Action of every query-protocol call, oldest first. */
    public List<String> queryActions() {
        List<String> actions = new ArrayList<>();
        for (LoggedRequest request : requests()) {
            String action = QueryForm.parse(request.getBodyAsString()).get("Action");
            if (action != null) {
                actions.add(action);
            }
        }
        return actions;
    }

    /** Every request the front received, oldest first. */
    public List<LoggedRequest> requests() {
        List<LoggedRequest> all = new ArrayList<>();
        for (ServeEvent event : server.getAllServeEvents()) {
            all.add(event.getRequest());
        }
        Collections.reverse(all);
        return all;
    }

    @Override
    public void close() {
        String url = loopback(server);
        server.stop();
        if (url.equals(System.getProperty("aws.endpointUrl"))) {
            System.clearProperty("aws.endpointUrl");
        }
    }

    /** Routes an emulated call to its emulator. */
    private final class Dispatcher implements ResponseDefinitionTransformerV2 {
        static final String NAME = "ami-rollout-emulators";

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String which = event.getTransformerParameters().getString(EMULATE);
            LoggedRequest request = event.getRequest();
            try {
                return emulate(which, request);
            } catch (RuntimeException e) {
                // Say loudly where the emulation broke: a bare 500 would only look like an AWS outage.
                java.io.StringWriter trace = new java.io.StringWriter();
                e.printStackTrace(new java.io.PrintWriter(trace));
                System.err.println("AwsFront: emulating " + which + " failed: " + trace);
                return InstanceRefreshEmulator.error(500, "TestFrontError", "emulating " + which + " failed: " + e);
            }
        }

        private ResponseDefinition emulate(String which, LoggedRequest request) {
            return switch (which) {
                case "CreateLaunchTemplate" -> launchTemplates.createTemplate(request);
                case "CreateLaunchTemplateVersion" -> launchTemplates.createVersion(request);
                case "StartImagePipelineExecution" -> imageBuilder.start(request);
                case "GetImage" -> imageBuilder.getImage(request);
                case "Invoke" -> lambda.invoke(request);
                default -> refreshes.handle(which, request);
            };
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
