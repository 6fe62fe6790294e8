import { describeProviderConformance } from '../../conformance/provider.conformance';
import { entra } from './subject';

describeProviderConformance(entra);
