import { describeProviderConformance } from '../../conformance/provider.conformance';
import { okta } from './subject';

describeProviderConformance(okta);
