package io.amirollout.benchmarks;

import com.github.tomakehurst.wiremock.WireMockServer;

/** Local endpoint answers for instance-refresh, pipeline-starter and cross-account-invoker. */
final class OtherFunctions {

    private OtherFunctions() {
    }

    static void instanceRefreshStubs(WireMockServer server) {
        Functions.snsStubs(server);
    }

    static void pipelineStarterStubs(WireMockServer server) {
        Functions.snsStubs(server);
    }

    static void crossAccountInvokerStubs(WireMockServer server) {
        Functions.snsStubs(server);
    }
}
