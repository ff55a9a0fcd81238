#!/usr/bin/env bash
# The validation's own test: one deliberate mistake per check. Each mistake is made in the working tree, the
# check that should catch it is run and must fail, and the mistake is undone (git checkout). It refuses to
# start while the files it touches have uncommitted changes.
#
#   ./mvnw install -DskipTests && deploy/kubernetes/validation/drill.sh [name-filter] [--it]
#
# --it also breaks one value only a running service can contradict and runs KubernetesManifestsIT on it.
set -uo pipefail
cd "$(dirname "$0")/../../.."
K=deploy/kubernetes
TOUCHED=("$K/base" "$K/overlays" "$K/components" README.md admin-service/src/main/docker
    keys-service/src/main/docker oauth-service/src/main/docker dashboard-service/src/main/docker
    gateway-service/src/main/docker)
filter="" it=false
for a in "$@"; do
    case "$a" in --it) it=true ;; *) filter="$a" ;; esac
done
if [ -n "$(git status --porcelain -- "${TOUCHED[@]}")" ]; then
    echo "drill: commit or stash the changes under ${TOUCHED[*]} first" >&2
    exit 2
fi
undo() {
    git checkout -q -- "${TOUCHED[@]}"
    git clean -fdq -- "$K/overlays" "$K/base" "$K/components"
}
trap undo EXIT

MVN=(./mvnw -o -q)
caught=0 missed=()
# mistake NAME TEST[#method] MODULE COMMAND...: make the mistake with COMMAND, expect TEST to fail
mistake() {
    local name="$1" test="$2" module="$3"
    shift 3
    [[ -n "$filter" && "$name" != *"$filter"* ]] && return
    "$@" || { echo "drill: could not make the mistake '$name'" >&2; missed+=("$name (not made)"); undo; return; }
    if git diff --quiet -- "${TOUCHED[@]}" && [ -z "$(git status --porcelain -- "${TOUCHED[@]}")" ]; then
        echo "drill: the mistake '$name' changed nothing" >&2
        missed+=("$name (no change)")
        return
    fi
    local log
    log=$(mktemp)
    if [ "$module" = system-tests ]; then
        "${MVN[@]}" verify -pl system-tests -Dit.test="$test" -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
            -Dfailsafe.failIfNoSpecifiedTests=false >"$log" 2>&1
    else
        "${MVN[@]}" test -pl "$module" -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1
    fi
    local rc=$?
    local why
    why=$(grep -m1 -E '(Tests run:.*(Failures|Errors): [1-9]|<<< FAIL)' "$log" | sed 's/^\[ERROR\] *//' | cut -c1-160)
    if [ $rc -ne 0 ] && ! grep -q 'Tests run: 0' "$log"; then
        caught=$((caught + 1))
        printf 'caught  %-28s %-62s %s (log %s)\n' "$name" "$test" "$why" "$log"
    else
        missed+=("$name")
        printf 'MISSED  %-28s %s (log %s)\n' "$name" "$test" "$log"
    fi
    undo
}
sub() { perl -0pi -e "$1" "${@:2}"; }

mistake overlay-renamed RenderTest#theOverlaysAreDevAndProd $K mv $K/overlays/prod $K/overlays/production
mistake missing-resource RenderTest#rendersAndPutsEveryObjectInTheOverlaysNamespace $K \
    sub 's/  - config.yaml\n/  - config.yaml\n  - missing.yaml\n/' $K/base/kustomization.yaml
mistake name-prefix RenderTest#everyOverlayHasTheSameObjectsUnderTheSameNamesInItsOwnNamespace $K \
    sub 's/^namespace: gatehouse-dev\n/namespace: gatehouse-dev\nnamePrefix: dev-\n/m' $K/overlays/dev/kustomization.yaml
mistake operator-version RenderTest#theReadmeNamesTheOperatorVersionsTheManifestsAreValidatedAgainst $K \
    sub 's/cloudnative-pg.io\) 1.27/cloudnative-pg.io) 1.26/' README.md
mistake auto-create-topics DataTest#kafkaIsKraftWithoutAutoCreationAndEveryStrimziResourceNamesIt $K \
    sub 's/auto.create.topics.enable: false/auto.create.topics.enable: true/' $K/base/kafka/kafka.yaml
mistake topic-renamed DataTest#everyTopicOfTheCodeHasAKafkaTopicWithItsPartitionsPolicyAndRetention $K \
    sub 's/topicName: gatehouse.usage\n/topicName: gatehouse.usage-v2\n/' $K/base/kafka/topics.yaml
mistake topic-not-compacted DataTest#everyTopicOfTheCodeHasAKafkaTopicWithItsPartitionsPolicyAndRetention $K \
    sub 's/(topicName: gatehouse.keys\n(?:.*\n)*?\s+cleanup.policy: )compact/${1}delete/' $K/base/kafka/topics.yaml
mistake other-owners-database DataTest#everyOwnerReadsItsOwnDatabaseFromItsClustersAppSecret $K \
    sub 's/keys-db-app/admin-db-app/g' $K/base/services/keys-service.yaml
mistake prod-two-gateways DataTest#eachOverlayHasTheSizesTheIssuePromises $K \
    sub 's{(path: /spec/minReplicas\n\s+value: )3}{${1}2}' $K/overlays/prod/kustomization.yaml
mistake service-port-unnamed RoutingTest#everyServiceSelectsPodsThatHaveItsTargetPorts $K \
    sub 's/targetPort: management/targetPort: metrics/' $K/base/services/gateway.yaml
mistake ingress-port RoutingTest#everyIngressBackendIsARealServicePort $K \
    sub 's/name: http\n/name: web\n/' $K/base/ingress/data-plane.yaml
mistake keys-to-admin RoutingTest#theControlPlaneRoutesEveryControlPathToTheServiceThatServesIt $K \
    sub 's{(path: /tyk/keys\n(?:.*\n){3}\s+name: )keys-service}{${1}admin-service}' $K/base/ingress/control-plane.yaml
mistake dashboard-api-to-gateway RoutingTest#theDashboardHostRoutesTheDashboardApiToDashboardServiceAndNothingElse $K \
    sub 's{(path: /api\n(?:.*\n){3}\s+name: )dashboard-service}{${1}gateway}' $K/base/ingress/dashboard.yaml
mistake pdb-selects-nothing RoutingTest#theAutoscalerAndTheDisruptionBudgetsTargetRealPods $K \
    sub 's/app.kubernetes.io\/name: gateway\n/app.kubernetes.io\/name: gateway-service\n/' $K/base/services/disruption-budgets.yaml
mistake api-version-not-served SchemaValidationTest $K \
    sub 's/apiVersion: policy\/v1\n/apiVersion: policy\/v1beta1\n/' $K/base/services/disruption-budgets.yaml
mistake port-as-string SchemaValidationTest $K \
    sub 's/containerPort: 9180/containerPort: "9180"/' $K/base/services/gateway.yaml
mistake strimzi-unknown-field SchemaValidationTest $K \
    sub 's/kraftMetadata: shared/kraftMetadat: shared/' $K/base/kafka/kafka.yaml
mistake cnpg-wrong-type SchemaValidationTest $K \
    sub 's/instances: 1\n/instances: one\n/' $K/base/postgres/clusters.yaml
mistake core-unknown-field UnknownFieldsTest $K \
    sub 's/readinessProbe:/readinesProbe:/' $K/base/services/gateway.yaml
mistake selector-not-template WorkloadsTest#everyServiceHasADeploymentWhoseSelectorMatchesItsPods $K \
    sub 's/(selector:\n    matchLabels:\n      app.kubernetes.io\/name: )gateway/${1}gateway-pods/' $K/base/services/gateway.yaml
mistake probe-path WorkloadsTest#probesUseTheHealthPathsAndPortsTheCodeServes $K \
    sub 's{path: /q/health/live}{path: /q/health/alive}' $K/base/services/gateway.yaml
mistake unread-variable WorkloadsTest#everyVariableIsOneTheServiceReadsAndSecretsComeFromSecrets $K \
    sub 's/GATEHOUSE_SNAPSHOT_PATH/GATEHOUSE_SNAPSHOT_FILE/' $K/base/services/gateway.yaml
mistake writable-root WorkloadsTest#podsAreLockedDownSizedAndDrainOnShutdown $K \
    sub 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/' $K/base/services/gateway.yaml
mistake no-ingress-to-gateway NetworkPolicyTest#theSuiteCanTalkAsItNeedsAndNoMore $K \
    sub 's/kubernetes.io\/metadata.name: ingress-nginx/kubernetes.io\/metadata.name: ingress-controller/' $K/base/policies/network-policies.yaml
mistake policy-selects-nothing NetworkPolicyTest#everySelectorOfEveryPolicySelectsPodsAndEveryNamedPortExists $K \
    sub 's/app.kubernetes.io\/component: control-plane/app.kubernetes.io\/component: control/' $K/base/policies/network-policies.yaml
mistake dockerfile-root DockerfileTest $K sub 's/^USER 185$/USER 0/m' keys-service/src/main/docker/Dockerfile.jvm
mistake dockerfile-port DockerfileTest $K sub 's/^EXPOSE 8080$/EXPOSE 8081/m' keys-service/src/main/docker/Dockerfile.jvm
mistake dockerfile-path DockerfileTest $K \
    sub 's{target/quarkus-app/app/}{target/app/}' keys-service/src/main/docker/Dockerfile.jvm
if $it; then
    # the static checks read the variables' names; only a running service can refuse a value
    mistake unreadable-value KubernetesManifestsIT system-tests \
        sub 's/QUARKUS_SHUTDOWN_TIMEOUT: 25s/QUARKUS_SHUTDOWN_TIMEOUT: soon/' $K/base/config.yaml
fi

echo "drill: $caught caught, ${#missed[@]} missed${missed:+: ${missed[*]}}"
[ ${#missed[@]} -eq 0 ]
